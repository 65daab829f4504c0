console.log('iwb');
